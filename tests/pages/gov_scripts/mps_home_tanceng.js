jQuery(document).ready(function lyr() {
    var bh=jQuery(window).height();//è·åå±å¹é«åº¦
    var bw=jQuery(window).width();//è·åå±å¹å®½åº¦
    jQuery("#layer").css({
        height:bh,
        width:bw,
        display:"block"
    });
    jQuery("#pop").show();
    jQuery("#clo").show();
    setTimeout( "jQuery('#layer').hide();",3000 );
    setTimeout( "jQuery('#pop').hide();",3000 );
    setTimeout( "jQuery('#clo').hide();",3000 );
})
 
//close layer
jQuery("#clo").click(function(){
    jQuery("#layer,#pop").hide();
  jQuery("#layer,#clo").hide();
})
jQuery("#layer").click(function(){
    jQuery("#layer,#pop").hide();
  jQuery("#layer,#clo").hide();
})
// function closeit() 
 //{settimeout("self.close()",1000)} 
//enter topic
//jQuery("#pop").click(function(){
//window.location.href="n2255079/n8819345/n8819484/index.html"
//})
